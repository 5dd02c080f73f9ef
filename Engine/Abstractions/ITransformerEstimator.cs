using CommunityToolkit.HighPerformance;

namespace FashionCore.Abstractions;

/// <summary>An unfitted transform: validated options in, an immutable fitted <typeparamref name="TModel"/> out.</summary>
/// <typeparam name="TModel">The fitted transform type.</typeparam>
/// <remarks>
/// Fit takes <see cref="ReadOnlyMemory2D{T}"/> rather than a span so implementations may work on the rows from several
/// threads. Fitting never mutates the estimator, so one estimator may be fitted concurrently on different data
/// (cross-validation folds).
/// </remarks>
public interface ITransformerEstimator<out TModel>
    where TModel : ITransformer
{
    /// <summary>Fits the transform on the rows of <paramref name="x"/>.</summary>
    /// <param name="x">n×d training rows.</param>
    /// <param name="cancellationToken">Cancels a long fit; checked between passes, never inside a kernel.</param>
    /// <returns>The fitted transform.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or contains NaN/Inf where the estimator forbids it.</exception>
    TModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default);
}
