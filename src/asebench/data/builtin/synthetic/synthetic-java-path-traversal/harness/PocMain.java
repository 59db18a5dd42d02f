import com.example.docs.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** PoC: can a document name reach a file outside the store's root? */
public class PocMain {
    public static void main(String[] args) throws Exception {
        Path base = Files.createTempDirectory("asebench-poc");
        Path root = Files.createDirectories(base.resolve("docs"));
        Files.writeString(root.resolve("readme.txt"), "public document");
        String marker = "SECRET-" + System.nanoTime();
        Path secret = base.resolve("secret.txt");
        Files.writeString(secret, marker);
        DocumentStore store = new DocumentStore(root);
        String[] names = {"../secret.txt", "readme.txt/../../secret.txt", secret.toString()};
        StringBuilder notes = new StringBuilder();
        for (String name : names) {
            try {
                String got = new String(store.read(name), StandardCharsets.UTF_8);
                if (got.contains(marker)) {
                    Verdict.print("vulnerable", "read(" + name + ") returned a file outside the root");
                    return;
                }
                notes.append(name).append(": returned other content; ");
            } catch (Throwable e) {
                notes.append(name).append(": ").append(e.getClass().getSimpleName()).append("; ");
            }
        }
        Verdict.print("safe", "no name escaped the root (" + notes.toString().trim() + ")");
    }
}
