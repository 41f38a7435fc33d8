"""The account review (PRODUCT.md page 5) as one model: `assemble()` reads it through the query core,
the Streamlit page, the PDF and the workbook render it (kamdata.review.pdf / .xlsx), so all three show
the same numbers. No Streamlit here."""

from kamdata.review.assemble import assemble
from kamdata.review.model import Chart, Column, Figure, Review, Section, Table, display

__all__ = ["Chart", "Column", "Figure", "Review", "Section", "Table", "assemble", "display"]
