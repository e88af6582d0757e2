"""Bulk import of past signals from a partner's .xlsx or .csv file.

reading: the file, checked by content and size, read row by row; fields: the columns mapped
to the intake API's fields; rows: each row validated by the intake API's own serializer, with
its stable key; service: upload, preview, the import itself and its report.

It lives in casework because its preview shows the match suggestions of each row's persons
and it may take signals straight into the register (casework.triage).
"""
