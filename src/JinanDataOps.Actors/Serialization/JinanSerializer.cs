using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace JinanDataOps.Actors.Serialization;

/// <summary>The one serializer for everything persisted or sent between nodes: JSON with explicit,
/// versioned string manifests (<see cref="Manifests"/>), never CLR type names. Fields declared as
/// object or as a marker interface carry their own manifest inline.</summary>
public sealed class JinanSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4186; // stable: changing it makes every stored event unreadable

    public static readonly JsonSerializerOptions Options = CreateOptions();

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.ByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType().FullName} has no manifest in {nameof(Manifests)}");

    public override byte[] ToBinary(object obj)
    {
        _ = Manifest(obj); // refuse unregistered types loudly
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Manifests.ByManifest.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown manifest '{manifest}'");
        return JsonSerializer.Deserialize(bytes, type, Options)
            ?? throw new SerializationException($"'{manifest}' deserialized to null");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            // Only stored facts are written: computed read-only properties (BothSigned, IsLive, …) are
            // derived on read, so they never freeze into the schema.
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
            {
                Modifiers = { info => RemoveComputed(info), info => OmitAbsentAdditions(info) },
            },
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            WriteIndented = false,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new SandboxEventConverter());
        options.Converters.Add(new InlineManifestConverter<object>());
        options.Converters.Add(new InlineManifestConverter<Domain.Common.ICommand>());
        options.Converters.Add(new InlineManifestConverter<Domain.Common.IDomainEvent>());
        return options;
    }

    private static void RemoveComputed(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].Set is null) info.Properties.RemoveAt(i);
    }

    /// <summary>A field added to a stored type later (<see cref="Domain.Common.AddedFieldAttribute"/>, e.g.
    /// <c>AgreementDrafted.AuthorityOrg</c>) is written only when it holds a value, so an entry stored before
    /// the field existed reads and writes back exactly as it was (the golden files), and the version of its
    /// manifest stays the same: the change is additive.</summary>
    private static void OmitAbsentAdditions(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object) return;
        foreach (var property in info.Properties)
            if (property.AssociatedParameter is { HasDefaultValue: true, DefaultValue: null, AttributeProvider: { } attributes }
                && attributes.IsDefined(typeof(Domain.Common.AddedFieldAttribute), inherit: false))
                property.ShouldSerialize = static (_, value) => value is not null;
    }

    /// <summary>Writes a value of a polymorphic field as <c>{"$m": manifest, "v": value}</c>.</summary>
    private sealed class InlineManifestConverter<T> : JsonConverter<T> where T : class
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(T);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            if (!doc.RootElement.TryGetProperty("$m", out var m) || !doc.RootElement.TryGetProperty("v", out var v))
                throw new JsonException("a polymorphic value needs '$m' and 'v'");
            var manifest = m.GetString() ?? throw new JsonException("'$m' is null");
            if (!Manifests.ByManifest.TryGetValue(manifest, out var type))
                throw new SerializationException($"unknown manifest '{manifest}'");
            return (T)(v.Deserialize(type, options) ?? throw new JsonException($"'{manifest}' is null"));
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var type = value.GetType();
            if (!Manifests.ByType.TryGetValue(type, out var manifest))
                throw new SerializationException($"{type.FullName} has no manifest in {nameof(Manifests)}");
            writer.WriteStartObject();
            writer.WriteString("$m", manifest);
            writer.WritePropertyName("v");
            JsonSerializer.Serialize(writer, value, type, options);
            writer.WriteEndObject();
        }
    }
}
