"""Reading tables that people export from spreadsheets and platforms, without Django.

Both importers (creator lists and metrics) read their files through this package, so an encoding, a
delimiter or a number such as "1.234" means the same thing in each of them.
"""

from creatordesk.lib.tabular.columns import (
    Mapping,
    find_header,
    header_key,
    is_blank,
    is_blank_row,
    map_columns,
    normalise_header,
    synonym_lookup,
)
from creatordesk.lib.tabular.dates import DateError, day_first_from, parse_moment
from creatordesk.lib.tabular.files import Guard, detect_encoding, read_rows, sniff_delimiter
from creatordesk.lib.tabular.numbers import NumberError, decimal_comma_from, parse_number
from creatordesk.lib.tabular.urls import clean_url, platform_of_host, platform_of_url

__all__ = [
    "DateError",
    "Guard",
    "Mapping",
    "NumberError",
    "clean_url",
    "day_first_from",
    "decimal_comma_from",
    "detect_encoding",
    "find_header",
    "header_key",
    "is_blank",
    "is_blank_row",
    "map_columns",
    "normalise_header",
    "parse_moment",
    "parse_number",
    "platform_of_host",
    "platform_of_url",
    "read_rows",
    "sniff_delimiter",
    "synonym_lookup",
]
