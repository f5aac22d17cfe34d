package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Stack;
import io.pulley.v1.StackCelery;
import io.pulley.v1.StackCommand;
import io.pulley.v1.StackDatabase;
import io.pulley.v1.StackGit;
import io.pulley.v1.StackPython;
import io.pulley.v1.StackSettings;
import io.pulley.v1.StackSite;
import io.pulley.v1.StackWeb;
import org.junit.jupiter.api.Test;

/** Which stack settings a promotion carries from the source, and which stay the target's. */
class CodeSettingsTest {
  private static final Stack STAGING =
      Stack.newBuilder()
          .setName("shop-staging")
          .setGit(
              StackGit.newBuilder()
                  .setUrl("https://git.example.com/shop.git")
                  .setRef("main")
                  .setCommit("4e1f0c2a9b7d4e1f0c2a9b7d4e1f0c2a9b7d4e1f")
                  .setDeployKeySecret("staging-key")
                  .setSubmodules(true))
          .setPython(StackPython.newBuilder().setRequirements("requirements/prod.txt"))
          .addPackages("libxml2")
          .setWeb(StackWeb.newBuilder().setWsgi("shop.wsgi:app").setProcesses(1))
          .setSite(
              StackSite.newBuilder()
                  .addDomains("staging.shop.example.com")
                  .setStaticDir("shop/static")
                  .addHtpasswd("qa:$apr1$x"))
          .setCelery(StackCelery.newBuilder().setApp("shop.tasks").addQueues("mail").setBeat(false))
          .setDatabase(StackDatabase.newBuilder().setName("shop_staging").addExtensions("pg_trgm"))
          .setSettings(StackSettings.newBuilder().setUse("egg:shop").putValues("debug", "true"))
          .addCommands(StackCommand.newBuilder().setName("migrate").addArgv("alembic"))
          .addSharedDirs("uploads")
          .putEnvironment("MODE", "staging")
          .build();

  private static final Stack PRODUCTION =
      Stack.newBuilder()
          .setName("shop-production")
          .setGit(
              StackGit.newBuilder()
                  .setUrl("https://git.example.com/shop.git")
                  .setRef("v1.0.0")
                  .setDeployKeySecret("production-key")
                  .setKeep(5))
          .setWeb(StackWeb.newBuilder().setWsgi("old.wsgi:app").setProcesses(16))
          .setSite(StackSite.newBuilder().addDomains("shop.example.com"))
          .setCelery(StackCelery.newBuilder().setApp("old.tasks").setBeat(true).setConcurrency(8))
          .setDatabase(StackDatabase.newBuilder().setName("shop"))
          .setSettings(StackSettings.newBuilder().putValues("debug", "false"))
          .putEnvironment("MODE", "production")
          .build();

  @Test
  void carry_takesTheCodeSide_andKeepsTheEnvironmentSide() {
    Stack.Builder promoted = PRODUCTION.toBuilder();
    CodeSettings.carry(STAGING, promoted);
    Stack stack = promoted.build();

    assertThat(stack.getGit().getRef()).isEqualTo("main");
    assertThat(stack.getGit().getCommit()).as("pinned by the compiler, not here").isEmpty();
    assertThat(stack.getGit().getSubmodules()).isTrue();
    assertThat(stack.getPython().getRequirements()).isEqualTo("requirements/prod.txt");
    assertThat(stack.getPackagesList()).containsExactly("libxml2");
    assertThat(stack.getWeb().getWsgi()).isEqualTo("shop.wsgi:app");
    assertThat(stack.getSite().getStaticDir()).isEqualTo("shop/static");
    assertThat(stack.getCelery().getApp()).isEqualTo("shop.tasks");
    assertThat(stack.getCelery().getQueuesList()).containsExactly("mail");
    assertThat(stack.getDatabase().getExtensionsList()).containsExactly("pg_trgm");
    assertThat(stack.getSettings().getUse()).isEqualTo("egg:shop");
    assertThat(stack.getCommandsList())
        .extracting(StackCommand::getName)
        .containsExactly("migrate");
    assertThat(stack.getSharedDirsList()).containsExactly("uploads");

    assertThat(stack.getName()).isEqualTo("shop-production");
    assertThat(stack.getGit().getDeployKeySecret()).isEqualTo("production-key");
    assertThat(stack.getGit().getKeep()).isEqualTo(5);
    assertThat(stack.getWeb().getProcesses()).isEqualTo(16);
    assertThat(stack.getSite().getDomainsList()).containsExactly("shop.example.com");
    assertThat(stack.getSite().getHtpasswdList()).isEmpty();
    assertThat(stack.getCelery().getBeat()).isTrue();
    assertThat(stack.getCelery().getConcurrency()).isEqualTo(8);
    assertThat(stack.getDatabase().getName()).isEqualTo("shop");
    assertThat(stack.getSettings().getValuesMap()).containsEntry("debug", "false");
    assertThat(stack.getEnvironmentMap()).containsEntry("MODE", "production");
  }

  @Test
  void carry_thenSame_holds_andAnEnvironmentSideChangeIsNotACodeChange() {
    Stack.Builder promoted = PRODUCTION.toBuilder();
    CodeSettings.carry(STAGING, promoted);
    // The compiler pins the commit; with it, the two run the same code the same way.
    promoted.getGitBuilder().setCommit(STAGING.getGit().getCommit());

    assertThat(CodeSettings.same(STAGING, promoted.build())).isTrue();
    assertThat(CodeSettings.same(STAGING, PRODUCTION)).isFalse();
    assertThat(
            CodeSettings.same(
                STAGING,
                STAGING.toBuilder()
                    .setWeb(StackWeb.newBuilder().setWsgi("shop.wsgi:app").setProcesses(9))
                    .build()))
        .isTrue();
  }

  @Test
  void aSectionTheSourceDropped_isDroppedWhereItIsAllCode() {
    Stack.Builder promoted = PRODUCTION.toBuilder();
    CodeSettings.carry(STAGING.toBuilder().clearCelery().clearPython().build(), promoted);

    assertThat(promoted.hasCelery()).as("no Celery app in the code: no worker").isFalse();
    assertThat(promoted.hasPython()).isFalse();
    assertThat(promoted.getDatabase().getName()).isEqualTo("shop");
  }
}
