package io.scorepipe.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;

/**
 * One blocking keep-alive HTTP/1.1 connection (on a virtual thread, blocking costs no platform
 * thread): writes a request, reads the status, the headers and the body (by Content-Length,
 * chunked, or to the end of the stream). Enough for POST /predict and nothing more.
 */
final class Http1 implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean reusable = true;

    Http1(String host, int port, Duration timeout) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout((int) timeout.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    boolean reusable() {
        return reusable;
    }

    /** Sends {@code request} and returns the response's status; its body ends up in {@code body}. */
    int exchange(byte[] request, StringBuilder body) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("the connection closed before a response");
        }
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine, 9, 12, 10);
        long length = -1;
        boolean chunked = false;
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            }
            else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
            else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                reusable = false;
            }
        }
        body.setLength(0);
        if (chunked) {
            while (true) {
                String size = line();
                if (size == null) {
                    throw new EOFException("the connection closed inside a chunked body");
                }
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                        // trailers: none expected
                    }
                    break;
                }
                read(n, body);
                line();
            }
        }
        else if (length >= 0) {
            read(length, body);
        }
        else {
            read(Long.MAX_VALUE, body); // to the end of the stream
            reusable = false;
        }
        return status;
    }

    private boolean fill() throws IOException {
        if (position < limit) {
            return true;
        }
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /** A header line without its CRLF, or null at the end of the stream. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (!fill()) {
                return line.isEmpty() ? null : line.toString();
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) (b & 0xff));
        }
    }

    private void read(long n, StringBuilder body) throws IOException {
        for (long left = n; left > 0;) {
            if (!fill()) {
                if (n == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("the connection closed inside the body");
            }
            int take = (int) Math.min(left, limit - position);
            for (int i = 0; i < take; i++) {
                body.append((char) (buffer[position + i] & 0xff));
            }
            position += take;
            left -= take;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }
}
