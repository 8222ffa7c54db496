package dev.eventpipe.event;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that never replaces. {@code String.getBytes(UTF_8)} and {@code new String(bytes, UTF_8)} turn
 * what they cannot code into {@code ?} or U+FFFD, which merges distinct values (three ids with
 * different lone surrogates became one row). Here a bad input either fails or is kept exactly.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The UTF-8 bytes of {@code s}.
     *
     * @throws IllegalArgumentException when {@code s} holds an unpaired surrogate, which UTF-8 cannot code
     */
    public static byte[] encode(String s) {
        if (!hasLoneSurrogate(s)) {
            // Nothing the JDK's encoder would replace: its intrinsic path is exact here, and several times faster.
            return s.getBytes(StandardCharsets.UTF_8);
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer b = encoder.encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text holds an unpaired UTF-16 surrogate, which UTF-8 cannot code", e);
        }
    }

    /**
     * The text of {@code len} UTF-8 bytes at {@code offset}, or null when they are not valid UTF-8.
     */
    public static String decodeOrNull(byte[] bytes, int offset, int len) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, offset, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Whether {@code s} holds an unpaired UTF-16 surrogate. */
    public static boolean hasLoneSurrogate(String s) {
        // Each char is tested once until a surrogate turns up: text without one (nearly all) costs one compare
        // per char. A String, not a CharSequence: at the first JIT tier an interface call per char cost twice as much.
        for (int i = 0, n = s.length(); i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return hasLoneSurrogate(s, i);
            }
        }
        return false;
    }

    /** Whether the {@code len} chars at {@code offset} hold an unpaired UTF-16 surrogate: a parser's text, checked before it is made a String. */
    public static boolean hasLoneSurrogate(char[] chars, int offset, int len) {
        for (int i = offset, end = offset + len; i < end; i++) {
            if (Character.isSurrogate(chars[i])) {
                return hasLoneSurrogate(new String(chars, i, end - i), 0);
            }
        }
        return false;
    }

    /** The exact check, from {@code from}, the first surrogate. */
    private static boolean hasLoneSurrogate(String s, int from) {
        for (int i = from, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes of {@code s} keeping every UTF-16 unit: UTF-8, except that an unpaired surrogate is
     * written as the three bytes of its code point (WTF-8). For keeping rejected text exactly as it
     * came; such bytes are not UTF-8, and reading them back strictly rejects them again.
     */
    public static byte[] encodeLossless(String s) {
        if (!hasLoneSurrogate(s)) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
        for (int i = 0, n = s.length(); i < n; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        }
        return out.toByteArray();
    }
}
