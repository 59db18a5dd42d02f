import com.example.docs.DocumentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Calls the candidate's DocumentStore and prints what came back, one tab-separated line per
 * call. The same program serves the PoC and the test: args are the root, then names to read.
 */
public class Calls {
    static String failure(Throwable e) {
        return (e instanceof IOException ? "ioerror\t" : "error\t") + e.getClass().getSimpleName();
    }

    public static void main(String[] args) {
        DocumentStore store = new DocumentStore(Path.of(args[0]));
        try {
            System.out.println("list\tok\t" + String.join("/", store.list()));
        } catch (Throwable e) {
            System.out.println("list\t" + failure(e));
        }
        try {
            System.out.println("size\tok\t" + store.totalSize());
        } catch (Throwable e) {
            System.out.println("size\t" + failure(e));
        }
        for (int i = 1; i < args.length; i++) {
            try {
                System.out.println("read\tok\t" + HexFormat.of().formatHex(store.read(args[i])));
            } catch (Throwable e) {
                System.out.println("read\t" + failure(e));
            }
        }
    }
}
