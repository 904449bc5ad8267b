from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestWarrantyLength(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["product.category"].create({"name": "Pumps", "rma_warranty_months": 12})

    def test_product_uses_category_warranty_unless_it_sets_its_own(self):
        product = self.env["product.template"].create({"name": "Pump P1", "categ_id": self.category.id})
        self.assertEqual(product.rma_effective_warranty_months, 12)
        with Form(product) as form:
            form.rma_warranty_months = 24
        self.assertEqual(product.rma_effective_warranty_months, 24)
        # Changing the category's length follows through to products that set none.
        other = self.env["product.template"].create({"name": "Pump P2", "categ_id": self.category.id})
        self.category.rma_warranty_months = 6
        self.assertEqual(other.rma_effective_warranty_months, 6)
        self.assertEqual(product.rma_effective_warranty_months, 24)

    def test_no_warranty_anywhere_is_zero(self):
        bare = self.env["product.category"].create({"name": "Consumables"})
        product = self.env["product.template"].create({"name": "Rag", "categ_id": bare.id})
        self.assertEqual(product.rma_effective_warranty_months, 0)
