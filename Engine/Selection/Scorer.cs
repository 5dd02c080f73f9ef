namespace FashionCore.Selection;

/// <summary>A score of predictions against true labels; higher is better (sklearn <c>scoring</c>). The default is accuracy.</summary>
/// <param name="yTrue">True labels of the test fold.</param>
/// <param name="yPred">Predicted labels, same length.</param>
/// <returns>The score.</returns>
public delegate double Scorer(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred);
