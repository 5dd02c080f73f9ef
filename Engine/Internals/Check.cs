using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Internals;

/// <summary>Inlinable argument guards for public entry points; the cores behind them trust their input.</summary>
internal static class Check
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Shape<T>(ReadOnlySpan2D<T> x, int rows, int columns, [CallerArgumentExpression(nameof(x))] string? paramName = null)
    {
        if (x.Height != rows || x.Width != columns)
        {
            ThrowHelper.ThrowShapeMismatch(paramName ?? "x", rows, columns, x.Height, x.Width);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Shape<T>(Span2D<T> x, int rows, int columns, [CallerArgumentExpression(nameof(x))] string? paramName = null)
    {
        if (x.Height != rows || x.Width != columns)
        {
            ThrowHelper.ThrowShapeMismatch(paramName ?? "x", rows, columns, x.Height, x.Width);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns<T>(ReadOnlySpan2D<T> x, int columns, [CallerArgumentExpression(nameof(x))] string? paramName = null)
    {
        if (x.Width != columns)
        {
            ThrowHelper.ThrowArgument($"'{paramName}' must have {columns} columns but has {x.Width}.", paramName);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length<T>(ReadOnlySpan<T> x, int length, [CallerArgumentExpression(nameof(x))] string? paramName = null)
    {
        if (x.Length != length)
        {
            ThrowHelper.ThrowLengthMismatch(paramName ?? "x", length, x.Length);
        }
    }

    /// <summary>Throws when any value is NaN or ±Inf, naming the first offending row and column.</summary>
    /// <remarks>A matrix without columns holds no value, so it passes (callers that need columns check for them).</remarks>
    public static void Finite(ReadOnlySpan2D<float> x, [CallerArgumentExpression(nameof(x))] string? paramName = null) =>
        Finite(x, 0, paramName);

    /// <summary>
    /// Throws when any value is NaN or ±Inf, naming the first offending column and its row counted from
    /// <paramref name="firstRow"/> (for a block of a larger matrix).
    /// </summary>
    public static void Finite(ReadOnlySpan2D<float> x, int firstRow, string? paramName)
    {
        // IsFiniteAll is false for an empty span, and the search below would then read row[0] of an empty row.
        if (x.Width == 0)
        {
            return;
        }

        for (int i = 0; i < x.Height; i++)
        {
            ReadOnlySpan<float> row = x.GetRowSpan(i);
            if (!TensorPrimitives.IsFiniteAll(row))
            {
                int j = 0;
                while (float.IsFinite(row[j]))
                {
                    j++;
                }

                ThrowHelper.ThrowNonFinite(paramName, row[j], (long)firstRow + i, j);
            }
        }
    }
}
