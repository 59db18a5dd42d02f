import com.example.docs.DocumentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Functional test: documents under the root are listed and read; a missing one is an IOException. */
public class TestMain {
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    public static void main(String[] args) {
        try {
            Path root = Files.createTempDirectory("asebench-test");
            Files.writeString(root.resolve("a.txt"), "alpha");
            Files.createDirectories(root.resolve("sub"));
            Files.writeString(root.resolve("sub").resolve("b.txt"), "beta");
            DocumentStore store = new DocumentStore(root);
            check(store.list().equals(List.of("a.txt")), "list() = " + store.list());
            check(new String(store.read("a.txt"), StandardCharsets.UTF_8).equals("alpha"), "read a.txt");
            check(new String(store.read("sub/b.txt"), StandardCharsets.UTF_8).equals("beta"), "read sub/b.txt");
            check(new String(store.read("./a.txt"), StandardCharsets.UTF_8).equals("alpha"), "read ./a.txt");
            check(store.totalSize() == 5, "totalSize() = " + store.totalSize());
            boolean missing = false;
            try {
                store.read("missing.txt");
            } catch (IOException e) {
                missing = true;
            }
            check(missing, "read(missing.txt) did not raise an IOException");
            Verdict.print("pass", "list, read, nested read and missing file behave");
        } catch (Throwable e) {
            Verdict.print("fail", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
