namespace FashionCore.Abstractions;

/// <summary>
/// Marks a transformer estimator whose <c>Fit</c> learns nothing from the row values (only the column count): HOG,
/// x/255. Cross-validation and grid search fit and apply such leading pipeline steps once on all rows instead of once
/// per fold, which gives identical results because the fitted transform is the same for every fold.
/// </summary>
/// <remarks>Implement it only when that holds: a transform fitted on any subset of the rows must equal one fitted on all.</remarks>
public interface IStatelessTransformerEstimator
{
}
