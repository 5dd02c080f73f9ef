namespace FashionCore.Selection;

/// <summary>A fit, or the scoring of a fitted model, that threw during cross-validation or a grid search and was scored
/// with <see cref="CrossValidationOptions.ErrorScore"/> instead (sklearn's <c>FitFailedWarning</c> for fits, its "Scoring
/// failed" warning for scorings).</summary>
/// <param name="Candidate">The candidate's index (0 for cross-validation).</param>
/// <param name="Fold">The fold's index.</param>
/// <param name="Exception">What the fit (or the scoring) threw.</param>
public sealed record FitFailure(int Candidate, int Fold, Exception Exception);
