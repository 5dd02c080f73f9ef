namespace FashionCore.Tools.Prediction;

/// <summary>One classified image.</summary>
/// <param name="Label">The predicted Fashion-MNIST label (0..9).</param>
/// <param name="Name">The label's class name (e.g. <c>Dress</c>).</param>
/// <param name="Probabilities">Probability of each label 0..9 (sums to 1).</param>
public sealed record FashionPrediction(int Label, string Name, IReadOnlyList<float> Probabilities);
