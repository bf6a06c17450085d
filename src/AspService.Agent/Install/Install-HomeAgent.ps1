<#
.SYNOPSIS
    Installs or removes the AspService agent for one person on a home PC; no administrator rights needed.

.DESCRIPTION
    Install: copies aspagent.exe to "%LOCALAPPDATA%\Programs\AspService", enrolls it for this Windows user with the
    one-time home token (aspagent enroll; key in the user's CNG store) and adds a Start menu shortcut that runs
    "aspagent connect" (sign-in in the browser the first time, then mstsc opens). No service: connect runs only
    while the person uses it.
    -Upgrade: replaces aspagent.exe (the enrollment stays).
    -Uninstall: unenrolls, removes the shortcut and the folder.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File Install-HomeAgent.ps1 -Server https://example.jp/t/011002 -Token WXYZ-1234

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
    [Parameter(ParameterSetName = 'Upgrade')]
    [string] $Source = (Join-Path $PSScriptRoot 'aspagent.exe'),

    [Parameter(Mandatory = $true, ParameterSetName = 'Upgrade')]
    [switch] $Upgrade,

    [Parameter(Mandatory = $true, ParameterSetName = 'Uninstall')]
    [switch] $Uninstall
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$InstallDir = Join-Path $env:LOCALAPPDATA 'Programs\AspService'
$Agent = Join-Path $InstallDir 'aspagent.exe'
$Shortcut = Join-Path ([Environment]::GetFolderPath('Programs')) 'AspService 在宅接続.lnk'

function Invoke-Agent([string[]] $Arguments) {
    & $Agent @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "aspagent $($Arguments[0]) failed with exit code $LASTEXITCODE"
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
    switch ($PSCmdlet.ParameterSetName) {
        'Install' {
            Copy-Agent
            Invoke-Agent @('enroll', '--server', $Server, '--token', $Token, '--name', $Name)
            $shell = New-Object -ComObject WScript.Shell
            $link = $shell.CreateShortcut($Shortcut)
            $link.TargetPath = $Agent
            $link.Arguments = 'connect'
            $link.WorkingDirectory = $InstallDir
            $link.Description = 'AspService: 庁内の端末にリモートデスクトップで接続'
            $link.Save()
            Write-Output "Installed $Agent and the Start menu shortcut $Shortcut."
        }
        'Upgrade' {
            Copy-Agent
            Write-Output "Upgraded $Agent."
        }
        'Uninstall' {
            if (Test-Path -LiteralPath $Agent) {
                Invoke-Agent @('unenroll')
            }
            Remove-Item -LiteralPath $Shortcut -Force -ErrorAction SilentlyContinue
            Remove-Item -LiteralPath $InstallDir -Recurse -Force -ErrorAction SilentlyContinue
            Write-Output "Removed $InstallDir and the Start menu shortcut."
        }
    }
    exit 0
}
catch {
    [Console]::Error.WriteLine($_.Exception.Message)
    exit 1
}
