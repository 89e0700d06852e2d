package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Renders decoded Avro records as readable JSON for a terminal: timestamps as ISO instants, bytes
 * as their length, long strings shortened, long number arrays summarised.
 */
final class RecordRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final int maxString;
  private final boolean pretty;

  RecordRenderer(int maxString, boolean pretty) {
    this.maxString = maxString;
    this.pretty = pretty;
  }

  String render(GenericRecord record) {
    JsonNode node = toJson(record, record.getSchema());
    try {
      return pretty
          ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)
          : JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode toJson(Object value, Schema schema) {
    if (value == null) {
      return F.nullNode();
    }
    switch (schema.getType()) {
      case UNION:
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL && matches(value, branch)) {
            return toJson(value, branch);
          }
        }
        return F.textNode(String.valueOf(value));
      case RECORD:
        ObjectNode obj = F.objectNode();
        GenericRecord r = (GenericRecord) value;
        for (Schema.Field f : schema.getFields()) {
          obj.set(f.name(), toJson(r.get(f.pos()), f.schema()));
        }
        return obj;
      case ARRAY:
        Collection<?> items = (Collection<?>) value;
        Schema itemSchema = schema.getElementType();
        if (items.size() > 8 && itemSchema.getType() == Schema.Type.FLOAT) {
          return F.textNode("<" + items.size() + " floats>");
        }
        ArrayNode arr = F.arrayNode();
        items.forEach(i -> arr.add(toJson(i, itemSchema)));
        return arr;
      case MAP:
        ObjectNode map = F.objectNode();
        ((Map<?, ?>) value)
            .forEach((k, v) -> map.set(k.toString(), toJson(v, schema.getValueType())));
        return map;
      case BYTES:
        return F.textNode("<" + ((ByteBuffer) value).remaining() + " bytes>");
      case FIXED:
        return F.textNode("<" + ((GenericFixed) value).bytes().length + " bytes>");
      case STRING:
        String s = value.toString();
        return F.textNode(
            s.length() <= maxString
                ? s
                : s.substring(0, maxString) + "… (" + s.length() + " chars)");
      case ENUM:
        return F.textNode(((GenericEnumSymbol<?>) value).toString());
      case LONG:
        long l = ((Number) value).longValue();
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          return F.textNode(Instant.ofEpochMilli(l).toString());
        }
        return F.numberNode(l);
      case INT:
        return F.numberNode(((Number) value).intValue());
      case FLOAT:
        return F.numberNode(((Number) value).floatValue());
      case DOUBLE:
        return F.numberNode(((Number) value).doubleValue());
      case BOOLEAN:
        return F.booleanNode((Boolean) value);
      default:
        return F.textNode(String.valueOf(value));
    }
  }

  private static boolean matches(Object value, Schema branch) {
    return switch (branch.getType()) {
      case STRING -> value instanceof CharSequence;
      case RECORD -> value instanceof GenericRecord g && g.getSchema().equals(branch);
      case ARRAY -> value instanceof Collection;
      case MAP -> value instanceof Map;
      case BYTES -> value instanceof ByteBuffer;
      case LONG -> value instanceof Long || value instanceof Instant;
      case INT -> value instanceof Integer;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BOOLEAN -> value instanceof Boolean;
      case ENUM -> value instanceof GenericEnumSymbol;
      default -> true;
    };
  }
}
