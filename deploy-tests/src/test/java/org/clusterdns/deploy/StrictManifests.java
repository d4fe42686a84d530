package org.clusterdns.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a YAML stream of Kubernetes objects into the fabric8 model as strictly as the API server
 * would: a field the model does not know, a key given twice, a kind that does not exist, or a
 * value of the wrong type (an unquoted {@code true} where a string belongs, {@code "53"} for a
 * port) is an error, not a silently kept or converted value.
 *
 * <p>fabric8's model keeps unknown fields in {@code additionalProperties} through a Jackson
 * any-setter, and reads unknown kinds as {@code GenericKubernetesResource}, which is all
 * any-setter, and keeps a value of the wrong type there too; so here every any-setter is removed,
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} applies and scalars are not coerced.
 */
final class StrictManifests {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final KubernetesSerialization SERIALIZATION = strictSerialization();

  private StrictManifests() {}

  /** Returns the objects of a YAML stream (documents separated by {@code ---}), empty documents skipped. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        KubernetesResource resource = SERIALIZATION.convertValue(document, KubernetesResource.class);
        if (!(resource instanceof HasMetadata object)) {
          throw new IllegalArgumentException("not a Kubernetes object: " + document);
        }
        objects.add(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  private static KubernetesSerialization strictSerialization() {
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    KubernetesSerialization serialization = new KubernetesSerialization(mapper, true);
    // Registered after fabric8's modules, so that it comes before them.
    mapper.registerModule(strictModule());
    // fabric8's module would otherwise keep a value of the wrong type in additionalProperties.
    serialization.getUnmatchedFieldTypeModule().setRestrictToTemplates(true);
    // A scalar of the wrong kind fails, as it does in the API server's Go decoder.
    fail(mapper, LogicalType.Textual, CoercionInputShape.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float);
    fail(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Boolean, CoercionInputShape.Float);
    fail(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
    fail(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float);
    return serialization;
  }

  /** Drops every any-setter, and reads Integer fields from JSON integers only (fabric8's own deserializer takes "53"). */
  private static SimpleModule strictModule() {
    SimpleModule module = new SimpleModule("strict-manifests");
    module.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
          BeanDeserializerBuilder builder) {
        builder.setAnySetter(null);
        builder.setIgnoreUnknownProperties(false);
        return builder;
      }
    });
    module.addDeserializer(Integer.class, new StdDeserializer<>(Integer.class) {
      @Override
      public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_NUMBER_INT)) {
          return (Integer) context.handleUnexpectedToken(Integer.class, parser);
        }
        return parser.getIntValue();
      }
    });
    return module;
  }

  private static void fail(ObjectMapper mapper, LogicalType target, CoercionInputShape... inputs) {
    for (CoercionInputShape input : inputs) {
      mapper.coercionConfigFor(target).setCoercion(input, CoercionAction.Fail);
    }
  }
}
