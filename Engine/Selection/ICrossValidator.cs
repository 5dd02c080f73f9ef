namespace FashionCore.Selection;

/// <summary>A cross-validation splitter: assigns each sample to one test fold (sklearn <c>KFold</c>, <c>StratifiedKFold</c>).</summary>
public interface ICrossValidator
{
    /// <summary>Number of folds (sklearn <c>n_splits</c>).</summary>
    int SplitCount { get; }

    /// <summary>Splits <paramref name="y"/>.Length samples (labels are used only by stratified splitters).</summary>
    /// <param name="y">The labels of the samples, one per sample.</param>
    /// <returns>The fold assignment.</returns>
    /// <exception cref="ArgumentException">Fewer samples than folds, or (stratified) no class with at least k samples.</exception>
    Folds Split(ReadOnlySpan<int> y);
}
