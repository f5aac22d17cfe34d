package io.pulley.agent.apply.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/** A bare repository on disk, fed by commits made in a work repository beside it. */
public final class TestRemote implements AutoCloseable {
  public final Path bare;
  final Git work;

  public TestRemote(Path dir) throws Exception {
    bare = dir.resolve("remote.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    work = Git.init().setInitialBranch("main").setDirectory(dir.resolve("work").toFile()).call();
  }

  public String url() {
    return bare.toUri().toString();
  }

  public Path workTree() {
    return work.getRepository().getWorkTree().toPath();
  }

  /** Commits {@code name} with {@code content} (and an executable and a symlink) and pushes. */
  public String commit(String name, String content) throws Exception {
    Path tree = workTree();
    Files.writeString(tree.resolve(name), content);
    Path script = tree.resolve("bin/run.sh");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path link = tree.resolve("link");
    if (!Files.isSymbolicLink(link)) {
      Files.createSymbolicLink(link, Path.of(name));
    }
    work.add().addFilepattern(".").call();
    RevCommit commit = work.commit().setMessage("add " + name).setSign(false).call();
    work.push().setRemote(url()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
    return commit.getName();
  }

  @Override
  public void close() {
    work.close();
  }
}
