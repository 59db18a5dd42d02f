    public byte[] read(String name) throws IOException {
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
            throw new SecurityException("document name escapes the root: " + name);
        }
        if (!Files.isRegularFile(target)) {
            throw new FileNotFoundException(name);
        }
        return Files.readAllBytes(target);
    }
