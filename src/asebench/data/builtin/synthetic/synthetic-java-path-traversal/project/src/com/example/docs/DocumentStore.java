package com.example.docs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The documents kept under one root directory, addressed by their relative names. */
public class DocumentStore {
    private final Path root;

    public DocumentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path getRoot() {
        return root;
    }

    /** Names of the regular files directly under the root, sorted. */
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Reads the document stored under the given name, relative to the root. */
    public byte[] read(String name) throws IOException {
        Path target = root.resolve(name);
        if (!Files.isRegularFile(target)) {
            throw new FileNotFoundException(name);
        }
        return Files.readAllBytes(target);
    }

    /** Size in bytes of every document, for the index page. */
    public long totalSize() throws IOException {
        long total = 0;
        for (String name : list()) {
            total += Files.size(root.resolve(name));
        }
        return total;
    }
}
