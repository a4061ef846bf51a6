"""The licences Culture Hub's public data comes under, named and linked the same way everywhere."""

OGL = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CC_BY = "Creative Commons Attribution 4.0 (CC BY 4.0)"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"
