using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AspService.Benchmarks.Onboarding;

/// <summary>
/// Where the provisioning time went, from the timestamps the server itself records in the catalog: each
/// tenant's creation, each step's completion and the final state change. The interval before a step's
/// timestamp covers that step's work plus the catalog commit that recorded the previous one.
/// </summary>
public static class StepBreakdown
{
    public sealed record Interval(string Name, double MeanMs, double P50Ms, double P95Ms);

    public static async Task<IReadOnlyList<Interval>> ReadAsync(BenchProvider provider, string catalogConnectionString, CancellationToken ct)
    {
        DbConnection conn = provider == BenchProvider.Sqlite
            ? new SqliteConnection(catalogConnectionString)
            : new NpgsqlConnection(catalogConnectionString);
        await using (conn)
        {
            await conn.OpenAsync(ct);
            var tenants = new Dictionary<string, (DateTimeOffset Created, DateTimeOffset Done)>(StringComparer.Ordinal);
            await using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = """SELECT "Id", "CreatedAt", "StateChangedAt" FROM "Tenants" WHERE "State" = 'Active'""";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    tenants[Id(reader.GetValue(0))] = (Time(reader.GetValue(1)), Time(reader.GetValue(2)));
                }
            }

            var steps = new Dictionary<string, List<(string Step, DateTimeOffset At)>>(StringComparer.Ordinal);
            await using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = """SELECT "TenantId", "Step", "CompletedAt" FROM "TenantOperationSteps" WHERE "Operation" = 'provision'""";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var id = Id(reader.GetValue(0));
                    if (!steps.TryGetValue(id, out var list))
                    {
                        steps[id] = list = [];
                    }

                    list.Add((reader.GetString(1), Time(reader.GetValue(2))));
                }
            }

            var intervals = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            var order = new List<string>();
            void Add(string name, TimeSpan span)
            {
                if (!intervals.TryGetValue(name, out var list))
                {
                    intervals[name] = list = [];
                    order.Add(name);
                }

                list.Add(span.TotalMilliseconds);
            }

            foreach (var (id, (created, done)) in tenants)
            {
                var list = steps.GetValueOrDefault(id)?.OrderBy(s => s.At).ToList() ?? [];
                var previous = created;
                for (var i = 0; i < list.Count; i++)
                {
                    Add(i == 0 ? $"queued + {list[i].Step}" : list[i].Step, list[i].At - previous);
                    previous = list[i].At;
                }

                Add("record last step + set Active", done - previous);
            }

            return [.. order.Select(name =>
            {
                var values = intervals[name].Order().ToList();
                return new Interval(name, values.Average(), Percentile(values, 0.5), Percentile(values, 0.95));
            })];
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    private static string Id(object value) => value switch
    {
        Guid g => g.ToString("D"),
        string s => Guid.Parse(s).ToString("D"),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // SQLite stores DateTimeOffset as UTC ticks; PostgreSQL as timestamptz.
    private static DateTimeOffset Time(object value) => value switch
    {
        long ticks => new DateTimeOffset(ticks, TimeSpan.Zero),
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto,
        _ => throw new InvalidDataException("unexpected timestamp " + value.GetType().Name),
    };
}
