namespace FashionCore.Data;

/// <summary>The two Fashion-MNIST splits and the directory they were loaded from.</summary>
/// <param name="Directory">Full path of the directory holding the files.</param>
/// <param name="Train">The 60 000 training images.</param>
/// <param name="Test">The 10 000 test images.</param>
public sealed record FashionMnistData(string Directory, Dataset Train, Dataset Test);
