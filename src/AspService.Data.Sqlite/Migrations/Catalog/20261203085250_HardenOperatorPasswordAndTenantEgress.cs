using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AspService.Data.Sqlite.Migrations.Catalog
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
                type: "TEXT",
                unicode: false,
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PasswordChangeRequired",
                table: "Operators",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "PasswordExpiresAt",
                table: "Operators",
                type: "INTEGER",
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
