using Akka.Actor;
using JinanDataOps.Actors.Serialization;

namespace JinanDataOps.Actors.Tests.Support;

/// <summary>A bare actor system with the jinan bindings, shared by the serializer tests of one class.</summary>
public sealed class SerializationFixture : IDisposable
{
    public SerializationFixture()
    {
        System = ActorSystem.Create("serialization", JinanHocon.Serialization());
        Serializer = new JinanSerializer((ExtendedActorSystem)System);
    }

    public ActorSystem System { get; }

    public JinanSerializer Serializer { get; }

    public string Json(object o) => global::System.Text.Encoding.UTF8.GetString(Serializer.ToBinary(o));

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
