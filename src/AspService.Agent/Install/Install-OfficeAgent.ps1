<#
.SYNOPSIS
    Installs, upgrades or removes the AspService office agent on an office PC (silent; run as administrator).

.DESCRIPTION
    Install: copies aspagent.exe to "%ProgramFiles%\AspService\Agent", enrolls this PC in the machine store with the
    one-time token (aspagent enroll --machine), registers the Windows service AspServiceOfficeAgent
    (aspagent office install-service --machine: sc.exe create, delayed automatic start, LocalSystem, restart on
    failure) and starts it.
    -Upgrade: stops the service, replaces aspagent.exe, starts it again (the enrollment stays).
    -Uninstall: stops and deletes the service, unenrolls (revokes the certificate at the server), removes the files.
    Exit code 0 on success; otherwise the failing step's message and a non-zero code.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File Install-OfficeAgent.ps1 -Server https://example.jp/t/011002 -Token ABCD-EFGH -Name "総務課-PC01"

.NOTES
    Never run by the project's CI (Linux, no PowerShell); see docs/agent.md.
#>
[CmdletBinding(DefaultParameterSetName = 'Install')]
param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [string] $Server,

    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [string] $Token,

    [Parameter(ParameterSetName = 'Install')]
    [string] $Name = $env:COMPUTERNAME,

    [Parameter(ParameterSetName = 'Install')]
    [string] $Target,

    [Parameter(ParameterSetName = 'Install')]
    [string] $Proxy,

    [Parameter(ParameterSetName = 'Install')]
    [switch] $NoProxy,

    [Parameter(ParameterSetName = 'Install')]
    [Parameter(ParameterSetName = 'Upgrade')]
    [string] $Source = (Join-Path $PSScriptRoot 'aspagent.exe'),

    [Parameter(Mandatory = $true, ParameterSetName = 'Upgrade')]
    [switch] $Upgrade,

    [Parameter(Mandatory = $true, ParameterSetName = 'Uninstall')]
    [switch] $Uninstall,

    [Parameter(ParameterSetName = 'Uninstall')]
    [switch] $KeepEnrollment
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$ServiceName = 'AspServiceOfficeAgent'
$InstallDir = Join-Path $env:ProgramFiles 'AspService\Agent'
$Agent = Join-Path $InstallDir 'aspagent.exe'

function Assert-Administrator {
    $principal = [Security.Principal.WindowsPrincipal] [Security.Principal.WindowsIdentity]::GetCurrent()
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'Run this script as administrator (the service and the machine certificate store need it).'
    }
}

# Runs aspagent with the arguments; its own one-line error and exit code stop the script.
function Invoke-Agent([string[]] $Arguments) {
    & $Agent @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "aspagent $($Arguments[0]) failed with exit code $LASTEXITCODE"
    }
}

function Stop-AgentService {
    $service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if ($null -ne $service -and $service.Status -ne 'Stopped') {
        Stop-Service -Name $ServiceName
        $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds(30))
    }
}

function Copy-Agent {
    if (-not (Test-Path -LiteralPath $Source)) {
        throw "aspagent.exe not found at $Source (give -Source)."
    }
    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    Copy-Item -LiteralPath $Source -Destination $Agent -Force
}

try {
    Assert-Administrator
    switch ($PSCmdlet.ParameterSetName) {
        'Install' {
            Copy-Agent
            Invoke-Agent @('enroll', '--machine', '--server', $Server, '--token', $Token, '--name', $Name)
            $service = @('office', 'install-service', '--machine')
            if ($Target) { $service += @('--target', $Target) }
            if ($Proxy) { $service += @('--proxy', $Proxy) }
            if ($NoProxy) { $service += '--no-proxy' }
            Invoke-Agent $service
            Start-Service -Name $ServiceName
            Write-Output "Installed and started $ServiceName ($Agent)."
        }
        'Upgrade' {
            Stop-AgentService
            Copy-Agent
            Start-Service -Name $ServiceName
            Write-Output "Upgraded $Agent and restarted $ServiceName."
        }
        'Uninstall' {
            Stop-AgentService
            if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
                & sc.exe delete $ServiceName | Out-Null
                if ($LASTEXITCODE -ne 0) { throw "sc.exe delete $ServiceName failed with exit code $LASTEXITCODE" }
            }
            if (-not $KeepEnrollment -and (Test-Path -LiteralPath $Agent)) {
                Invoke-Agent @('unenroll', '--machine')
            }
            Remove-Item -LiteralPath $InstallDir -Recurse -Force -ErrorAction SilentlyContinue
            Write-Output "Removed $ServiceName and $InstallDir."
        }
    }
    exit 0
}
catch {
    [Console]::Error.WriteLine($_.Exception.Message)
    exit 1
}
