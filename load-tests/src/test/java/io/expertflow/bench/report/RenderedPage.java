package io.expertflow.bench.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A rendered report taken apart for assertions: its sections by id, and each section's charts
 * parsed as XML (which also proves every chart well-formed).
 */
final class RenderedPage {
  private static final Pattern SVG = Pattern.compile("<svg[\\s\\S]*?</svg>");
  private final String html;

  RenderedPage(String html) {
    this.html = html;
  }

  String html() {
    return html;
  }

  /** The markup of {@code <section id="...">}, up to its end. */
  String section(String id) {
    int start = html.indexOf("<section id=\"" + id + "\">");
    if (start < 0) {
      throw new AssertionError("no section " + id);
    }
    return html.substring(start, html.indexOf("</section>", start));
  }

  List<Element> charts(String section) {
    List<Element> charts = new ArrayList<>();
    Matcher m = SVG.matcher(section(section));
    while (m.find()) {
      try {
        charts.add(
            DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement());
      } catch (Exception e) {
        throw new AssertionError("a chart of " + section + " is not well-formed: " + m.group(), e);
      }
    }
    return charts;
  }

  /**
   * The elements named {@code tag} whose class list holds {@code cls}, in every chart of a section.
   */
  List<Element> elements(String section, String tag, String cls) {
    List<Element> found = new ArrayList<>();
    for (Element chart : charts(section)) {
      NodeList nodes = chart.getElementsByTagName(tag);
      for (int i = 0; i < nodes.getLength(); i++) {
        Element e = (Element) nodes.item(i);
        if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
          found.add(e);
        }
      }
    }
    return found;
  }

  static double number(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }
}
