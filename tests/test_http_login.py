"""HTTP level: the login page is served and a demo user of each role can log in."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestHttpLogin(HttpCase):
    def test_login_page_and_role_logins(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="login"', response.text)
        for login in ("sales", "supervisor", "gm", "gmoffice", "warehouse", "qc", "production", "finance"):
            session = self.authenticate(login, login)
            self.assertEqual(session.login, login)
            home = self.url_open("/odoo")
            self.assertEqual(home.status_code, 200, login)
            self.assertIn("odoo.__session_info__", home.text, login)
