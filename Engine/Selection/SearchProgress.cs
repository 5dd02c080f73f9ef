namespace FashionCore.Selection;

/// <summary>Progress of a cross-validation or grid search: fits (candidate × fold) completed out of the total.</summary>
/// <param name="Completed">Fits completed (fitted and scored).</param>
/// <param name="Total">Candidates × folds.</param>
public readonly record struct SearchProgress(int Completed, int Total);
