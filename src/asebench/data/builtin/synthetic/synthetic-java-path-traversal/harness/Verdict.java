/** Prints the one JSON verdict line of the asebench protocol. */
final class Verdict {
    private Verdict() {}

    static void print(String verdict, String detail) {
        System.out.println("{\"verdict\": \"" + verdict + "\", \"detail\": \"" + escape(detail) + "\"}");
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : String.valueOf(text).toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
