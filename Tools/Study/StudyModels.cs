using System.Runtime.CompilerServices;
using FashionCore.Persistence;

namespace FashionCore.Tools.Study;

/// <summary>Registers the tool's own model types with the engine's model files, once, when the tool's code is first used.</summary>
internal static class StudyModels
{
    private static int s_registered;

    /// <summary>Makes <see cref="ModelFile"/> able to save and load <see cref="TransformChainModel"/> (idempotent).</summary>
    [ModuleInitializer]
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            ModelSerializers.Register(new TransformChainModelSerializer());
        }
    }
}
