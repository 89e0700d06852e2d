package io.expertflow.schemas.settings;

/**
 * The Markdown table of one app's settings, as docs/CONFIGURATION.md shows it: key, environment
 * variable, type, default and meaning. Tests compare the document with it. Stateless.
 */
public final class SettingsDoc {
  private SettingsDoc() {}

  public static String table(SettingTable table) {
    StringBuilder out =
        new StringBuilder(
            "| key | environment variable | type | default | meaning |\n"
                + "| --- | --- | --- | --- | --- |\n");
    for (SettingKey<?> k : table.keys()) {
      String meaning = k.rule().isEmpty() ? k.doc() : k.doc() + " Must be " + k.rule() + ".";
      out.append("| `")
          .append(k.name())
          .append("` | `")
          .append(k.envName())
          .append("` | ")
          .append(k.type().name())
          .append(" | ")
          .append(k.defaultText().isEmpty() ? "" : "`" + k.defaultText() + "`")
          .append(" | ")
          .append(meaning.replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }
}
