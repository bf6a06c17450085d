using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AspService.Agent.Output;

namespace AspService.Agent.Configuration;

/// <summary>
/// The configuration directory and its files: agent.json, terminal.key (file key store only), terminal.crt
/// (leaf + chain PEM) and provider-ca.crt. On Unix the directory is 0700 and every file 0600, created with
/// that mode so none is ever readable by others, even briefly.
/// </summary>
/// <remarks>
/// Saving is a small transaction so a crash never leaves a key that does not match its certificate: every
/// file is first written as <c>NAME.new</c> and flushed; <c>agent.json.new</c> appears last (itself written
/// to a temporary name and renamed), which marks the set complete; then the files are renamed over the old
/// ones, agent.json last. <see cref="Recover"/> finishes a complete set or drops an incomplete one.
/// </remarks>
public sealed class ConfigDirectory(string path)
{
    public const string ConfigFile = "agent.json";
    public const string KeyFile = "terminal.key";
    public const string CertificateFile = "terminal.crt";
    public const string ProviderCaFile = "provider-ca.crt";

    /// <summary>Home mode: the staff member's access and refresh tokens (device flow).</summary>
    public const string TokensFile = "tokens.json";

    /// <summary>Home mode: the .rdp file of the current session.</summary>
    public const string RdpFile = "aspagent.rdp";
    private const string NewSuffix = ".new";
    private const string TempSuffix = ".tmp";

    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // People open agent.json: Japanese names stay readable instead of \uXXXX escapes.
    private static readonly JsonTypeInfo<AgentConfig> Json = (JsonTypeInfo<AgentConfig>)new JsonSerializerOptions(ConfigJson.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ConfigJson.Default,
    }.GetTypeInfo(typeof(AgentConfig));

    // Renamed in this order; agent.json last so it only ever describes files that are already in place.
    private static readonly string[] Files = [KeyFile, CertificateFile, ProviderCaFile, ConfigFile];

    public string Path { get; } = path;

    public string ConfigPath => FilePath(ConfigFile);

    public string KeyPath => FilePath(KeyFile);

    public string CertificatePath => FilePath(CertificateFile);

    public string ProviderCaPath => FilePath(ProviderCaFile);

    public bool IsEnrolled => File.Exists(ConfigPath) || File.Exists(ConfigPath + NewSuffix);

    private string FilePath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Creates the directory (0700 on Unix) or checks an existing one is private. Called before a one-time
    /// token is spent, so an unwritable place fails before the server issues anything.
    /// </summary>
    /// <returns>Whether the directory was created now (see <see cref="RemoveIfEmpty"/>).</returns>
    public bool EnsurePrivate(AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var created = !Directory.Exists(Path);
            if (OperatingSystem.IsWindows())
            {
                // The per-user and ProgramData folders carry ACLs of their own; the key is in the CNG store.
                Directory.CreateDirectory(Path);
                return created;
            }

            if (created)
            {
                var parent = System.IO.Path.GetDirectoryName(Path);
                if (!string.IsNullOrEmpty(parent))
                {
                    Directory.CreateDirectory(parent);
                }

                Directory.CreateDirectory(Path, PrivateDirectory);
            }

            // Refuse rather than chmod: the directory may be a shared one given by mistake (--config /tmp).
            if ((File.GetUnixFileMode(Path) & OthersAccess) != 0)
            {
                throw new AgentException(ExitCode.Failed, "directory-not-private", text.Get("dir_not_private", Path));
            }

            var probe = FilePath(".probe" + TempSuffix);
            WritePrivate(probe, "");
            File.Delete(probe);
            return created;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure(text, ex);
        }
    }

    /// <summary>Takes back a directory that a failed enrollment created, so the failure leaves nothing behind.</summary>
    public void RemoveIfEmpty()
    {
        try
        {
            if (Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any())
            {
                Directory.Delete(Path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: an empty directory is harmless.
        }
    }

    /// <summary>Reads agent.json; null when there is none (not enrolled).</summary>
    public AgentConfig? Load(AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            Recover();
            if (!File.Exists(ConfigPath))
            {
                return null;
            }

            var config = JsonSerializer.Deserialize(File.ReadAllText(ConfigPath), Json);
            return config ?? throw new JsonException("empty");
        }
        catch (JsonException ex)
        {
            throw new AgentException(ExitCode.Failed, "config-invalid", text.Get("config_corrupt", ConfigPath, ex.Message), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure(text, ex);
        }
    }

    /// <summary>Replaces the enrollment's files as one unit (see the class remarks).</summary>
    /// <param name="keyPem">PKCS#8 PEM for terminal.key; null when the key lives in a store (Windows).</param>
    public void Save(AgentConfig config, string? keyPem, string certificateChainPem, string providerCaPem, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            Recover();
            if (keyPem is not null)
            {
                WritePrivate(KeyPath + NewSuffix, keyPem);
            }

            WritePrivate(CertificatePath + NewSuffix, certificateChainPem);
            WritePrivate(ProviderCaPath + NewSuffix, providerCaPem);
            var json = JsonSerializer.Serialize(config, Json);
            WritePrivate(ConfigPath + TempSuffix, json + "\n");
            File.Move(ConfigPath + TempSuffix, ConfigPath + NewSuffix, overwrite: true);
            Recover();
            if (keyPem is null)
            {
                // A file key left from an earlier enrollment must not outlive the switch to a store key.
                File.Delete(KeyPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure(text, ex);
        }
    }

    /// <summary>Finishes an interrupted save whose set is complete, or drops an incomplete one.</summary>
    public void Recover()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        var complete = File.Exists(ConfigPath + NewSuffix);
        foreach (var name in Files)
        {
            var pending = FilePath(name) + NewSuffix;
            if (!File.Exists(pending))
            {
                continue;
            }

            if (complete)
            {
                File.Move(pending, FilePath(name), overwrite: true);
            }
            else
            {
                File.Delete(pending);
            }
        }

        File.Delete(ConfigPath + TempSuffix);
    }

    /// <summary>Removes every file of the enrollment, and the directory when nothing else is left in it.</summary>
    public void DeleteAll(AgentText text)
    {
        DeleteFiles(text);
        RemoveIfEmpty();
    }

    private void DeleteFiles(AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            if (!Directory.Exists(Path))
            {
                return;
            }

            // agent.json first: a crash midway leaves "not enrolled", never a config without its key.
            foreach (var name in Files.Reverse())
            {
                File.Delete(FilePath(name) + NewSuffix);
                File.Delete(FilePath(name));
            }

            File.Delete(ConfigPath + TempSuffix);

            // What home mode keeps besides the enrollment: the sign-in tokens must not outlive it.
            File.Delete(FilePath(TokensFile));
            File.Delete(FilePath(TokensFile) + TempSuffix);
            File.Delete(FilePath(RdpFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure(text, ex);
        }
    }

    public string FileIn(string name) => FilePath(name);

    /// <summary>A file of this directory, or null when there is none.</summary>
    public string? ReadOptional(string name, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return File.Exists(FilePath(name)) ? File.ReadAllText(FilePath(name)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure(text, ex);
        }
    }

    /// <summary>Replaces one private file (0600 on Unix) in one step: written aside, then renamed over the old one.</summary>
    public void WriteOne(string name, string content, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            WritePrivate(FilePath(name) + TempSuffix, content);
            File.Move(FilePath(name) + TempSuffix, FilePath(name), overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure(text, ex);
        }
    }

    /// <summary>Removes one file of this directory, if it is there.</summary>
    public void DeleteOne(string name, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            File.Delete(FilePath(name));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure(text, ex);
        }
    }

    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Applies only when the file is created; a leftover file is removed first so it cannot keep a wider mode.
            File.Delete(path);
            options.Mode = FileMode.CreateNew;
            options.UnixCreateMode = PrivateFile;
        }

        using var stream = new FileStream(path, options);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            writer.Write(content);
        }

        // On disk before the set is marked complete.
        stream.Flush(flushToDisk: true);
    }

    private static AgentException IoFailure(AgentText text, Exception ex) =>
        new(ExitCode.Failed, "io-failed", text.Get("io_failed", AgentConsole.OneLine(ex.Message)), ex);
}

/// <summary>agent.json: camelCase, indented for people who open it, dates ISO 8601.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentConfig))]
internal sealed partial class ConfigJson : JsonSerializerContext;
