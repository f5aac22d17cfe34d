package io.pulley.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real Git repository on disk for tests, reachable through a file:// URL. */
public final class TestRepository implements AutoCloseable {

  private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.com");

  private final Git git;
  private final Path dir;

  private TestRepository(Git git, Path dir) {
    this.git = git;
    this.dir = dir;
  }

  /** A repository on branch "main" with one commit, since an empty repository cannot be read. */
  public static TestRepository create(Path dir) throws GitAPIException, IOException {
    Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    TestRepository repository = new TestRepository(git, dir);
    repository.commit("README", "first\n");
    return repository;
  }

  public String url() {
    return dir.toUri().toString();
  }

  /** The repository's Git directory, for a server that serves it. */
  public java.io.File gitDir() {
    return dir.resolve(".git").toFile();
  }

  public RevCommit commit(String file, String content) throws GitAPIException, IOException {
    Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    git.add().addFilepattern(file).call();
    return git.commit()
        .setMessage("change " + file)
        .setAuthor(AUTHOR)
        .setCommitter(AUTHOR)
        .setSign(false)
        .call();
  }

  public void annotatedTag(String name) throws GitAPIException {
    git.tag()
        .setName(name)
        .setAnnotated(true)
        .setMessage("release " + name)
        .setTagger(AUTHOR)
        .setSigned(false)
        .call();
  }

  public void lightweightTag(String name) throws GitAPIException {
    git.tag().setName(name).setAnnotated(false).setSigned(false).call();
  }

  public void deleteTag(String name) throws GitAPIException {
    git.tagDelete().setTags(name).call();
  }

  /** Moves the checked-out branch back to {@code commit}, as a force-push of a rewrite would. */
  public void resetHard(String commit) throws GitAPIException {
    git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(commit).call();
  }

  public void branch(String name) throws GitAPIException {
    git.branchCreate().setName(name).call();
  }

  public void checkout(String name) throws GitAPIException {
    git.checkout().setName(name).call();
  }

  @Override
  public void close() {
    git.close();
  }
}
