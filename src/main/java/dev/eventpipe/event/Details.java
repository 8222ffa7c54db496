package dev.eventpipe.event;

/**
 * Client text quoted in a rejection's detail: one short line that any queue, log or terminal takes
 * as it is. Control characters and unpaired surrogates are shown as {@code \}{@code uXXXX} escapes,
 * long text is cut.
 */
public final class Details {

    /** The most characters of client text a detail quotes. */
    static final int MAX_QUOTED = 80;

    private Details() {
    }

    /** {@code text} cut to {@value #MAX_QUOTED} characters, with what cannot be shown escaped. */
    public static String safe(String text) {
        if (text == null) {
            return "";
        }
        boolean cut = text.length() > MAX_QUOTED;
        String out = escape(cut ? text.substring(0, MAX_QUOTED - 3) : text);
        return cut ? out + "..." : out;
    }

    /** {@code text} whole, with control characters and unpaired surrogates escaped. */
    public static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            boolean pairedLow = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            boolean bad = c < 0x20 || c == 0x7F || c >= 0xFFFE || (Character.isSurrogate(c) && !pairedHigh && !pairedLow);
            if (bad && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (bad) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
