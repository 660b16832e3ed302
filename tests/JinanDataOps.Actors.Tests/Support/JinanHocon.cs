using Akka.Configuration;
using JinanDataOps.Actors.Protocol;
using JinanDataOps.Actors.Serialization;

namespace JinanDataOps.Actors.Tests.Support;

/// <summary>Raw-HOCON equivalents of what <c>AkkaSetup.Configure</c> does through Akka.Hosting, for
/// hosting-free test actor systems.</summary>
public static class JinanHocon
{
    /// <summary>The jinan serializer bound to every type of <see cref="Manifests.ByType"/> and to
    /// <see cref="IJinanMessage"/>, as <c>WithCustomSerializer("jinan", ...)</c> binds it.</summary>
    public static Config Serialization()
    {
        var bindings = Manifests.ByType.Keys.Append(typeof(IJinanMessage))
            .Select(t => $"      \"{t.FullName}, {t.Assembly.GetName().Name}\" = jinan");
        return ConfigurationFactory.ParseString($$"""
            akka.actor {
              serializers.jinan = "{{typeof(JinanSerializer).FullName}}, {{typeof(JinanSerializer).Assembly.GetName().Name}}"
              serialization-bindings {
            {{string.Join("\n", bindings)}}
              }
            }
            """);
    }
}
