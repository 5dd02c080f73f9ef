using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace FashionCore.Internals;

/// <summary>Throw sites kept out of hot methods so those stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn, StackTraceHidden]
    public static void ThrowArgument(string message, string? paramName) => throw new ArgumentException(message, paramName);

    /// <summary>The one message for a NaN or ±Inf input value, whichever fit, predict or transform meets it.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void ThrowNonFinite(string? paramName, double value, long row, int column) =>
        throw new ArgumentException($"'{paramName}' contains {value} at row {row}, column {column}; all values must be finite.", paramName);

    [DoesNotReturn, StackTraceHidden]
    public static void ThrowArgumentOutOfRange(string paramName, object? actualValue, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actualValue, message);

    [DoesNotReturn, StackTraceHidden]
    public static void ThrowInvalidData(string source, string message) => throw new InvalidDataException($"{source}: {message}");

    [DoesNotReturn, StackTraceHidden]
    public static void ThrowShapeMismatch(string paramName, int expectedRows, int expectedColumns, int actualRows, int actualColumns) =>
        throw new ArgumentException(
            $"'{paramName}' must be {expectedRows}x{expectedColumns} but is {actualRows}x{actualColumns}.", paramName);

    [DoesNotReturn, StackTraceHidden]
    public static void ThrowLengthMismatch(string paramName, int expected, int actual) =>
        throw new ArgumentException($"'{paramName}' must have length {expected} but has {actual}.", paramName);
}
