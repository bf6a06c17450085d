using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AspService.Data.PostgreSql.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class Stripe : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StripeInvoiceSyncs",
                columns: table => new
                {
                    InvoiceId = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    InvoiceNumber = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(255)", unicode: false, maxLength: 255, nullable: false),
                    MeterEventsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    MeterEventsSkipped = table.Column<bool>(type: "boolean", nullable: false),
                    StripeInvoiceId = table.Column<string>(type: "character varying(255)", unicode: false, maxLength: 255, nullable: true),
                    ItemsCreated = table.Column<int>(type: "integer", nullable: false),
                    FinalizedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AmountDue = table.Column<long>(type: "bigint", nullable: true),
                    State = table.Column<string>(type: "character varying(20)", unicode: false, maxLength: 20, nullable: false),
                    PaidAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastEventId = table.Column<string>(type: "character varying(255)", unicode: false, maxLength: 255, nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StripeInvoiceSyncs", x => x.InvoiceId);
                    table.ForeignKey(
                        name: "FK_StripeInvoiceSyncs_Invoices_InvoiceId",
                        column: x => x.InvoiceId,
                        principalTable: "Invoices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TenantStripeAccounts",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(255)", unicode: false, maxLength: 255, nullable: true),
                    BillingEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantStripeAccounts", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_TenantStripeAccounts_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StripeInvoiceSyncs_StripeInvoiceId",
                table: "StripeInvoiceSyncs",
                column: "StripeInvoiceId",
                unique: true,
                filter: "\"StripeInvoiceId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_StripeInvoiceSyncs_TenantId_Month",
                table: "StripeInvoiceSyncs",
                columns: new[] { "TenantId", "Month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StripeInvoiceSyncs");

            migrationBuilder.DropTable(
                name: "TenantStripeAccounts");
        }
    }
}
