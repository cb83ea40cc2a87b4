package dev.mole.sandbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains one stream of a sandboxed process, keeping its head and tail only, and counting bytes against a budget shared
 * with the other stream; past the budget it calls {@code onExceeded} (which kills the run) and keeps draining nothing.
 */
final class BoundedCapture implements Runnable {
    private final InputStream in;
    private final AtomicLong sharedTotal;
    private final long budget;
    private final Runnable onExceeded;
    private final byte[] head;
    private final byte[] tail;
    private int headLength;
    private long tailWritten;
    private long total;

    BoundedCapture(InputStream in, AtomicLong sharedTotal, long budget, int kept, Runnable onExceeded) {
        this.in = in;
        this.sharedTotal = sharedTotal;
        this.budget = budget;
        this.onExceeded = onExceeded;
        this.head = new byte[Math.max(1, kept * 3 / 4)];
        this.tail = new byte[Math.max(1, kept - head.length)];
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                keep(buf, n);
                if (sharedTotal.addAndGet(n) > budget) {
                    onExceeded.run();
                    return;
                }
            }
        } catch (IOException e) {
            // Stream closed because the run was killed: what we have is the output.
        }
    }

    private synchronized void keep(byte[] buf, int n) {
        int off = 0;
        if (headLength < head.length) {
            int c = Math.min(n, head.length - headLength);
            System.arraycopy(buf, 0, head, headLength, c);
            headLength += c;
            off = c;
        }
        for (int i = off; i < n; i++) {
            tail[(int) (tailWritten++ % tail.length)] = buf[i];
        }
        total += n;
    }

    synchronized long total() {
        return total;
    }

    /** Head, then (if anything was cut) a marker with the count of elided bytes, then the tail. */
    synchronized String text() {
        StringBuilder sb = new StringBuilder(new String(head, 0, headLength, StandardCharsets.UTF_8));
        if (tailWritten == 0) {
            return sb.toString();
        }
        int tailLength = (int) Math.min(tailWritten, tail.length);
        byte[] t = new byte[tailLength];
        for (int i = 0; i < tailLength; i++) {
            t[i] = tail[(int) ((tailWritten - tailLength + i) % tail.length)];
        }
        long elided = tailWritten - tailLength;
        if (elided > 0) {
            sb.append("\n...[").append(elided).append(" bytes elided]...\n");
        }
        return sb.append(new String(t, StandardCharsets.UTF_8)).toString();
    }
}
