{
    "name": "Factory Returns (RMA)",
    "summary": "Customer return / exchange process for manufacturers: request, approval, "
    "receipt, inspection, disposition and accounting",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "author": "rma_factory developers",
    "website": "https://example.invalid/rma_factory",
    "license": "LGPL-3",
    "depends": [
        "sale_stock",
        "stock_account",
        "mail",
        "portal",
        "base_automation",
        # Rework dispositions reuse Odoo's own repair orders.
        "repair",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/rma_security.xml",
        "views/product_views.xml",
    ],
    "demo": [
        "demo/rma_demo_company.xml",
        "demo/rma_demo_users.xml",
        "demo/rma_demo_partners.xml",
        "demo/rma_demo_products.xml",
        "demo/rma_demo_sale_orders.xml",
    ],
    "application": True,
    "installable": True,
}
