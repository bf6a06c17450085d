using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AspService.Data.PostgreSql.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class HardenOperatorPasswordAndTenantEgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EgressNetworks",
                table: "Tenants",
                type: "character varying(2000)",
                unicode: false,
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PasswordChangeRequired",
                table: "Operators",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PasswordExpiresAt",
                table: "Operators",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EgressNetworks",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "PasswordChangeRequired",
                table: "Operators");

            migrationBuilder.DropColumn(
                name: "PasswordExpiresAt",
                table: "Operators");
        }
    }
}
