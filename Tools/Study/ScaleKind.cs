namespace FashionCore.Tools.Study;

/// <summary>How pixels are scaled before the feature transform (<c>--scale</c>); scalers are fitted on the training rows.</summary>
internal enum ScaleKind
{
    /// <summary>Raw pixel values 0..255.</summary>
    None,

    /// <summary>x/255 (<c>PixelScaler</c>).</summary>
    X255,

    /// <summary>Zero mean, unit variance per pixel (<c>StandardScaler</c>).</summary>
    Standard,

    /// <summary>Each pixel mapped to [0, 1] by its training min and max (<c>MinMaxScaler</c>).</summary>
    MinMax,
}
