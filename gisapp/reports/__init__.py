"""Outputs that travel (no Qt): styled GeoPackage, Excel workbook, PDF report, informatieproduct.

Every writer takes a scan result by duck typing (``gebouwen``, ``gebieden``, ``complexen``,
``settings``, ``totals``, ``seconds``: see ``scans.pipeline.ScanResult``) and writes one file
atomically (a temporary file renamed into place).
"""

from .common import parameter_rows, sanity_check, scan_names, summary
from .excel import write_excel
from .geopackage import add_layer_styles, read_layer_styles, write_styled_result
from .pdf import write_pdf

__all__ = [
    "add_layer_styles",
    "parameter_rows",
    "read_layer_styles",
    "sanity_check",
    "scan_names",
    "summary",
    "write_excel",
    "write_pdf",
    "write_styled_result",
]
