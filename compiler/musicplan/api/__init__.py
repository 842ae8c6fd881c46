"""The music API: the Client, the HTTP session, multipart answers, audio sinks, server errors
mapped to source, the song registry."""
