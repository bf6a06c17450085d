using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using AspService.Data;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy.Provisioning;

/// <summary>
/// Writes a decommissioned tenant's data as a zip: <c>manifest.json</c> plus one JSON-lines file per table
/// (format in docs/archive-format.md). The name is deterministic, so a repeated run overwrites rather than
/// duplicates, and the file appears under its final name only when complete.
/// </summary>
public sealed class TenantArchiveWriter(DatabaseProviders providers, TenantDbContextFactory contexts, TimeProvider time)
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string ArchiveFolder => Path.Combine(providers.DataRoot, "archives");

    public async Task<string> WriteAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
    {
        Directory.CreateDirectory(ArchiveFolder);
        var fileName = $"{tenant.Code}-{tenant.Id:N}.zip";
        var path = Path.Combine(ArchiveFolder, fileName);
        var temp = path + ".tmp";

        await using var db = contexts.CreateUnpooled(binding);
        var tables = new List<object>();
        await using (var file = File.Create(temp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(ct);
            foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry($"tables/{table}.jsonl", CompressionLevel.Optimal);
                long rows;
                byte[] hash;
                await using (var stream = entry.Open())
                using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    rows = await WriteTableAsync(connection, table, stream, sha, ct);
                    hash = sha.GetHashAndReset();
                }

                tables.Add(new { name = table, file = entry.FullName, rows, sha256 = Convert.ToHexStringLower(hash) });
            }

            var manifest = new
            {
                format = "aspservice-tenant-archive",
                formatVersion = FormatVersion,
                tenant = new { id = tenant.Id, code = tenant.Code, name = tenant.Name, kana = tenant.Kana },
                exportedAt = time.GetUtcNow(),
                schemaVersion = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault(),
                provider = providers.Provider.ToString(),
                tables,
            };
            var manifestEntry = zip.CreateEntry("manifest.json", CompressionLevel.Optimal);
            await using var ms = manifestEntry.Open();
            await JsonSerializer.SerializeAsync(ms, manifest, Indented, ct);
        }

        File.Move(temp, path, overwrite: true);
        return fileName;
    }

    private static async Task<long> WriteTableAsync(System.Data.Common.DbConnection connection, string table, Stream output, IncrementalHash sha, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        // Table names come from our own EF model, never from input.
        cmd.CommandText = SelectAll(connection, table);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        long rows = 0;
        var newline = "\n"u8.ToArray();
        while (await reader.ReadAsync(ct))
        {
            var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(row);
            await output.WriteAsync(bytes, ct);
            await output.WriteAsync(newline, ct);
            sha.AppendData(bytes);
            sha.AppendData(newline);
            rows++;
        }

        return rows;
    }

    private static string SelectAll(System.Data.Common.DbConnection connection, string table) =>
        connection.GetType().Name == "SqlConnection" ? $"SELECT * FROM [{table}]" : $"SELECT * FROM \"{table}\"";
}
