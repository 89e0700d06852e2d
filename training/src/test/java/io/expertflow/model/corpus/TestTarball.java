package io.expertflow.model.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small ustar .tar.gz files for tests (names over 100 bytes go into a pax header). */
final class TestTarball {
  private TestTarball() {}

  static Path write(Path file, Map<String, String> entries) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(tar(entries));
    }
    return file;
  }

  static byte[] tar(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
      String name = e.getKey();
      if (name.getBytes(StandardCharsets.UTF_8).length > 100) {
        String record = " path=" + name + "\n";
        int length = record.length() + 1;
        while (Integer.toString(length).length() + record.length() != length) {
          length = Integer.toString(length).length() + record.length();
        }
        String pax = length + record;
        entry(out, "PaxHeader", 'x', pax.getBytes(StandardCharsets.UTF_8));
        name = "truncated";
      }
      entry(out, name, '0', data);
    }
    out.write(new byte[1024]);
    return out.toByteArray();
  }

  private static void entry(ByteArrayOutputStream out, String name, char type, byte[] data)
      throws IOException {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", data.length));
    put(h, 136, "00000000000");
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    out.write(h);
    out.write(data);
    out.write(new byte[(512 - data.length % 512) % 512]);
  }

  private static void put(byte[] h, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, offset, b.length);
  }
}
