package com.zmanim.rehearsal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are: the repository, the tools setup installed, the image cache (outside the work
 * tree, shared by runs on one machine), the per-run scratch space and the results folder.
 */
public record Layout(Path repo, Path tools, Path cache, Path scratch, Path out) {

    public Layout {
        if (!Files.isDirectory(repo.resolve("infrastructure")) && !Files.isRegularFile(repo.resolve("pom.xml"))) {
            throw new IllegalArgumentException("not the repository root: " + repo);
        }
    }

    /** From system properties / environment, with the documented defaults. */
    public static Layout fromEnvironment() {
        String root = System.getProperty("rehearsal.root", System.getenv().getOrDefault("ZMANIM_ROOT", "."));
        Path repo = Path.of(root).toAbsolutePath().normalize();
        Path cache = Path.of(System.getenv().getOrDefault("ZMANIM_REHEARSAL_CACHE", "/var/cache/zmanim-rehearsal"));
        Path scratch = Path.of(System.getenv().getOrDefault("ZMANIM_REHEARSAL_SCRATCH", "/var/tmp/zmanim-rehearsal"));
        return new Layout(repo, repo.resolve(".tools"), cache, scratch, repo.resolve("rehearsal/out"));
    }

    public Path tool(String name) {
        Path p = tools.resolve("bin").resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(name + " is missing from " + p.getParent() + ": run `make setup`");
        }
        return p;
    }

    public Path packerDir() {
        String override = System.getenv("ZMANIM_REHEARSAL_PACKER_DIR");
        return override == null || override.isBlank() ? repo.resolve("infrastructure/packer") : Path.of(override);
    }

    public Path computeTemplate() {
        return repo.resolve("infrastructure/cdk.out/ZmanimProdCompute.template.json");
    }

    public Path apiJar() {
        return repo.resolve("api/target/zmanim-api.jar");
    }
}
