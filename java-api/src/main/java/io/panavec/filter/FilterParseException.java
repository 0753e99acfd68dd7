package io.panavec.filter;

/**
 * A filter string that does not parse. {@link #position()} is the 0-based character offset of the problem;
 * the message quotes the text with a caret under it.
 */
public final class FilterParseException extends IllegalArgumentException {
    private final int position;

    FilterParseException(String text, int position, String problem) {
        super("filter syntax error at position " + position + ": " + problem + "\n  " + text + "\n  " + " ".repeat(position) + "^");
        this.position = position;
    }

    public int position() {
        return position;
    }
}
