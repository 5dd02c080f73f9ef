using CommunityToolkit.HighPerformance;

namespace FashionCore.Abstractions;

/// <summary>An unfitted classifier: validated options in, an immutable fitted <typeparamref name="TModel"/> out.</summary>
/// <typeparam name="TModel">The fitted classifier type.</typeparam>
/// <remarks>Fitting never mutates the estimator, so one estimator may be fitted concurrently on different data.</remarks>
public interface IClassifierEstimator<out TModel>
    where TModel : IClassifier
{
    /// <summary>Fits the classifier on rows <paramref name="x"/> with labels <paramref name="y"/>.</summary>
    /// <param name="x">n×d training rows.</param>
    /// <param name="y">
    /// n class labels: any int values, negative ones included (they are names, not indices: the model's
    /// <c>Classes</c> lists them sorted, as sklearn's <c>classes_</c>); at least two distinct values.
    /// </param>
    /// <param name="cancellationToken">Cancels a long fit; checked between epochs/iterations.</param>
    /// <returns>The fitted classifier. Fit facts that are not errors (iterations, convergence) are on the model.</returns>
    /// <exception cref="ArgumentException">Row/label counts differ, fewer than two classes, or NaN/Inf in <paramref name="x"/>.</exception>
    TModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default);
}
