package dev.mole.orchestrator.curation.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.mole.orchestrator.curation.CurationInputException;
import dev.mole.orchestrator.curation.DropReason;
import dev.mole.orchestrator.curation.Row;
import dev.mole.orchestrator.curation.RowSource;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * JSON Lines, optionally gzip-compressed (detected by the magic bytes, not the name). Each line is decoded strictly as
 * UTF-8 (a bad byte rejects that row, {@link DropReason#INVALID_UTF8}) and parsed with Jackson's streaming parser, so a
 * row costs one byte copy, one decode and the two field strings. Blank lines are not rows (a file may end in several);
 * the row index counts the other lines from 0. A UTF-8 byte order mark at the very start is ignored. A JSON {@code null}
 * for a field counts as missing (as SQL NULL does for Parquet); duplicate keys: the last one wins, as in JavaScript.
 */
public final class JsonlRowSource implements RowSource {

    /** Longer lines are rejected ({@link DropReason#ROW_TOO_LARGE}) and skipped without being buffered. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(DEFAULT_MAX_LINE_BYTES).build())
            .build();

    private final CountingInputStream counting;
    private final InputStream in;
    private final String questionField;
    private final String answerField;
    private final int maxLineBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufLen;
    private boolean eof;
    private byte[] line = new byte[1 << 12];
    private int lineLen;
    private boolean lineTooLarge;
    private CharBuffer chars = CharBuffer.allocate(1 << 12);
    private long index;
    private boolean firstLine = true;

    public JsonlRowSource(InputStream raw, String questionField, String answerField) {
        this(raw, questionField, answerField, DEFAULT_MAX_LINE_BYTES);
    }

    public JsonlRowSource(InputStream raw, String questionField, String answerField, int maxLineBytes) {
        this.counting = new CountingInputStream(raw);
        this.questionField = questionField;
        this.answerField = answerField;
        this.maxLineBytes = maxLineBytes;
        try {
            BufferedInputStream peek = new BufferedInputStream(counting, 1 << 16);
            peek.mark(2);
            int b0 = peek.read();
            int b1 = peek.read();
            peek.reset();
            this.in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(peek, 1 << 16) : peek;
        } catch (ZipException e) {
            throw new CurationInputException("The input starts like gzip but is not valid gzip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CurationInputException("Cannot read the input: " + e.getMessage(), e);
        }
    }

    @Override
    public Row next() throws IOException {
        while (readLine()) {
            int start = 0;
            if (firstLine) {
                firstLine = false;
                if (lineLen >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
                    start = 3;
                }
            }
            if (lineTooLarge) {
                return Row.rejected(index++, DropReason.ROW_TOO_LARGE);
            }
            int end = lineLen;
            if (end > start && line[end - 1] == '\r') {
                end--;
            }
            if (isBlank(start, end)) {
                continue;
            }
            return parse(index++, start, end);
        }
        return null;
    }

    private Row parse(long rowIndex, int start, int end) throws IOException {
        int n = end - start;
        if (chars.capacity() < n) {
            chars = CharBuffer.allocate(Math.max(n, chars.capacity() * 2));
        }
        chars.clear();
        decoder.reset();
        CoderResult r = decoder.decode(ByteBuffer.wrap(line, start, n), chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            return Row.rejected(rowIndex, DropReason.INVALID_UTF8);
        }
        try (JsonParser p = JSON.createParser(chars.array(), 0, chars.position())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Row.rejected(rowIndex, DropReason.MALFORMED_JSON);
            }
            String question = null;
            String answer = null;
            int questionState = 0; // 0 absent/null, 1 string, 2 other type
            int answerState = 0;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                boolean isQuestion = name.equals(questionField);
                boolean isAnswer = name.equals(answerField);
                if (isQuestion || isAnswer) {
                    int state = v == JsonToken.VALUE_STRING ? 1 : v == JsonToken.VALUE_NULL ? 0 : 2;
                    String text = state == 1 ? p.getText() : null;
                    if (isQuestion) {
                        questionState = state;
                        question = text;
                    }
                    if (isAnswer) {
                        answerState = state;
                        answer = text;
                    }
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return Row.rejected(rowIndex, DropReason.MALFORMED_JSON);
            }
            if (questionState == 0 || answerState == 0) {
                return Row.rejected(rowIndex, DropReason.MISSING_FIELD);
            }
            if (questionState == 2 || answerState == 2) {
                return Row.rejected(rowIndex, DropReason.NON_STRING_FIELD);
            }
            if (question.isBlank() || answer.isBlank()) {
                return Row.rejected(rowIndex, DropReason.EMPTY_FIELD);
            }
            return Row.readable(rowIndex, question, answer);
        } catch (JsonProcessingException e) {
            return Row.rejected(rowIndex, DropReason.MALFORMED_JSON);
        }
    }

    private boolean isBlank(int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Reads up to the next '\n' (excluded) into {@link #line}; false at the end of input with nothing read. */
    private boolean readLine() throws IOException {
        lineLen = 0;
        lineTooLarge = false;
        boolean any = false;
        while (true) {
            if (bufPos == bufLen) {
                if (eof || !fill()) {
                    return any;
                }
            }
            any = true;
            int from = bufPos;
            int nl = from;
            while (nl < bufLen && buf[nl] != '\n') {
                nl++;
            }
            append(from, nl - from);
            if (nl < bufLen) {
                bufPos = nl + 1;
                return true;
            }
            bufPos = bufLen;
        }
    }

    private void append(int from, int len) {
        if (lineTooLarge) {
            return;
        }
        if ((long) lineLen + len > maxLineBytes) {
            lineTooLarge = true;
            lineLen = 0;
            return;
        }
        if (lineLen + len > line.length) {
            byte[] bigger = new byte[(int) Math.min(maxLineBytes, Math.max((long) line.length * 2, lineLen + len))];
            System.arraycopy(line, 0, bigger, 0, lineLen);
            line = bigger;
        }
        System.arraycopy(buf, from, line, lineLen, len);
        lineLen += len;
    }

    private boolean fill() throws IOException {
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (ZipException | java.io.EOFException e) {
            throw new CurationInputException("The gzip input is corrupt or truncated: " + e.getMessage(), e);
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        bufPos = 0;
        bufLen = n;
        return n > 0 || fill();
    }

    @Override
    public long bytesRead() {
        return counting.count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static final class CountingInputStream extends FilterInputStream {
        volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
