package io.pulley.controller.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.pulley.v1.File;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.StackSecretVariable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The secrets a compiled manifest uses: those the controller generates (names in sensitive files'
 * {@code ${secret:NAME}}, database passwords, and {@code stack.secret_environment} entries marked
 * {@code generate}), the deploy keys and Git access tokens an admin must set, and the other secrets
 * an admin must set ({@code stack.secret_environment} entries without {@code generate}). Immutable.
 *
 * @param generated names of secrets the controller makes when they are missing, sorted
 * @param deployKeys names of the secrets an admin sets for Git remotes (deploy keys, tokens), each
 *     with the manifest field that names it
 * @param setByAdmin names of other secrets that must exist, each with the field that names it
 */
public record SecretReferences(
    Set<String> generated, Map<String, String> deployKeys, Map<String, String> setByAdmin) {

  // The same syntax the agent substitutes in sensitive files; filters follow a bar (NAME|url|env).
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:([^}|]+)[^}]*}");

  /**
   * The stack's files whose secrets the stack section names with their kind: the environment
   * file's, and the mail relay's password, which only the admin can know.
   */
  private static final Set<String> STACK_NAMED = Set.of("file:environment", "file:mail-password");

  public SecretReferences {
    generated = Collections.unmodifiableSet(new TreeSet<>(generated));
    deployKeys = Collections.unmodifiableMap(new LinkedHashMap<>(deployKeys));
    setByAdmin = Collections.unmodifiableMap(new LinkedHashMap<>(setByAdmin));
  }

  /** The references of {@code manifest}, a compiled one (stack resources rendered). */
  public static SecretReferences of(Manifest manifest) {
    Set<String> generated = new TreeSet<>();
    Map<String, String> deployKeys = new LinkedHashMap<>();
    for (int i = 0; i < manifest.getResourcesCount(); i++) {
      Resource resource = manifest.getResources(i);
      switch (resource.getKindCase()) {
        case FILE -> {
          if (!(manifest.hasStack() && STACK_NAMED.contains(resource.getId()))) {
            fileReferences(resource.getFile(), generated);
          }
        }
        case DATABASE -> generated.add(resource.getDatabase().getPasswordSecret());
        case GIT_RELEASE -> {
          String key = resource.getGitRelease().getDeployKeySecret();
          if (!key.isEmpty()) {
            deployKeys.putIfAbsent(key, fieldOf(manifest, resource, i, "deploy_key_secret"));
          }
          String token = resource.getGitRelease().getTokenSecret();
          if (!token.isEmpty()) {
            deployKeys.putIfAbsent(token, fieldOf(manifest, resource, i, "token_secret"));
          }
        }
        default -> {}
      }
    }
    Map<String, String> setByAdmin = new LinkedHashMap<>();
    for (Map.Entry<String, StackSecretVariable> variable :
        new TreeMap<>(manifest.getStack().getSecretEnvironmentMap()).entrySet()) {
      String name = variable.getValue().getSecret();
      if (variable.getValue().getGenerate()) {
        generated.add(name);
      } else {
        setByAdmin.putIfAbsent(
            name, "stack.secret_environment[\"" + variable.getKey() + "\"].secret");
      }
    }
    String relayPassword = manifest.getStack().getMail().getPasswordSecret();
    if (manifest.hasStack() && !relayPassword.isEmpty()) {
      setByAdmin.putIfAbsent(relayPassword, "stack.mail.password_secret");
    }
    generated.removeAll(deployKeys.keySet());
    setByAdmin.keySet().removeAll(generated);
    setByAdmin.keySet().removeAll(deployKeys.keySet());
    return new SecretReferences(generated, deployKeys, setByAdmin);
  }

  /** Every name referenced, generated or not. */
  public Set<String> all() {
    Set<String> all = new TreeSet<>(generated);
    all.addAll(deployKeys.keySet());
    all.addAll(setByAdmin.keySet());
    return all;
  }

  private static void fileReferences(File file, Set<String> names) {
    if (!file.getSensitive()) {
      return;
    }
    Matcher matcher = REFERENCE.matcher(file.getContent());
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
  }

  // The stack's checkout is reported at the field the admin wrote, not at a rendered resource.
  private static String fieldOf(Manifest manifest, Resource resource, int index, String field) {
    if (manifest.hasStack() && resource.getId().equals("release:checkout")) {
      return "stack.git." + field;
    }
    return "resources[" + index + "].git_release." + field;
  }
}
