"""Real PDFs made in the tests (fpdf2), so no binary fixture is committed."""
from pathlib import Path

from fpdf import FPDF


def make_pdf(path: Path, pages: list[str], user_password: str | None = None) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    if user_password is not None:
        pdf.set_encryption(owner_password="eigenaar", user_password=user_password)
    pdf.output(str(path))
    return path
