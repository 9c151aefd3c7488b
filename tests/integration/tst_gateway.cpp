// SPDX-License-Identifier: GPL-3.0-or-later
// Registering with a gateway (XEP-0077 used with a service) against an independent implementation:
// support/gateway_component.py, slixmpp's component side of In-Band Registration, on the test server. Its
// form in the old fixed fields, a refusal with the gateway's text, registering, being registered when asked
// again, unregistering, and unregistering twice.
#include "Contacts.h"
#include "GatewayComponent.h"
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "disco/DiscoInfo.h"
#include "disco/ServiceRegistration.h"

#include <QTest>
#include <QXmppClient.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;

QXmppDataForm answered(QXmppDataForm form, const QString &username, const QString &password)
{
    QList<QXmppDataForm::Field> &fields = form.fields();
    for (QXmppDataForm::Field &field : fields) {
        if (field.key() == u"username")
            field.setValue(username);
        else if (field.key() == u"password")
            field.setValue(password);
    }
    return form;
}
} // namespace

class tst_Gateway : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void registeringAndUnregisteringWithAGateway();

private:
    TestServer m_server;
    GatewayComponent m_gateway;
};

void tst_Gateway::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(m_gateway.start());
}

void tst_Gateway::registeringAndUnregisteringWithAGateway()
{
    const auto user = m_server.registerAccount(QStringLiteral("gatewayuser"));
    QVERIFY(user);
    auto account = onlineAccount(m_server, *user);
    QVERIFY(account);
    QXmppClient &client = account->client();
    const QString gateway = m_gateway.jid();

    // It says what it is, and that it takes registrations.
    const auto info = waitTask(askDiscoInfo(client, this, gateway), NetworkTimeout);
    QVERIFY(info && isOk(*info));
    QVERIFY(std::get<DiscoInfo>(*info).hasIdentity(QStringLiteral("gateway"), QStringLiteral("legacy")));
    QVERIFY(std::get<DiscoInfo>(*info).hasFeature(ServiceRegistration::Feature));

    auto form = waitTask(ServiceRegistration::askForm(client, this, gateway), NetworkTimeout);
    QVERIFY(form && isOk(*form));
    RegisterForm asked = std::get<RegisterForm>(*form);
    QVERIFY(asked.fixedFields);
    QVERIFY(!asked.registered);
    QCOMPARE(asked.instructions, QStringLiteral("Enter your account on the Legacy network."));
    QStringList vars;
    for (const QXmppDataForm::Field &field : asked.form.fields())
        vars.append(field.key());
    QVERIFY2(vars.contains(u"username") && vars.contains(u"password"), qPrintable(vars.join(u',')));

    // Refused, with the gateway's reason.
    auto done = waitTask(
        ServiceRegistration::submit(client, this, gateway, asked,
                                    answered(asked.form, QStringLiteral("taken"), QStringLiteral("pw"))),
        NetworkTimeout);
    QVERIFY(done);
    QCOMPARE(errorOf(*done).code, Error::Code::RequestRefused);
    QVERIFY2(errorOf(*done).detail.startsWith(u"not-acceptable") &&
                 errorOf(*done).detail.contains(u"taken on the Legacy network"),
             qPrintable(errorOf(*done).detail));

    done = waitTask(
        ServiceRegistration::submit(client, this, gateway, asked,
                                    answered(asked.form, QStringLiteral("legacy-me"), QStringLiteral("pw"))),
        NetworkTimeout);
    QVERIFY(done);
    QVERIFY2(isOk(*done), qPrintable(errorOf(*done).detail));
    const auto events = m_gateway.events();
    const auto registered = std::find_if(events.cbegin(), events.cend(), [&](const QJsonObject &event) {
        return event.value(u"event").toString() == u"registered" &&
               event.value(u"from").toString() == account->jid();
    });
    QVERIFY(registered != events.cend());
    QCOMPARE(registered->value(u"username").toString(), QStringLiteral("legacy-me"));

    // Asked again, it says we are registered, with what we gave.
    form = waitTask(ServiceRegistration::askForm(client, this, gateway), NetworkTimeout);
    QVERIFY(form && isOk(*form));
    QVERIFY(std::get<RegisterForm>(*form).registered);

    done = waitTask(ServiceRegistration::unregister(client, this, gateway), NetworkTimeout);
    QVERIFY(done && isOk(*done));
    form = waitTask(ServiceRegistration::askForm(client, this, gateway), NetworkTimeout);
    QVERIFY(form && isOk(*form));
    QVERIFY(!std::get<RegisterForm>(*form).registered);
    // Nothing left to cancel: the gateway says so.
    done = waitTask(ServiceRegistration::unregister(client, this, gateway), NetworkTimeout);
    QVERIFY(done);
    QCOMPARE(errorOf(*done).code, Error::Code::RequestRefused);
    QVERIFY2(errorOf(*done).detail.startsWith(u"item-not-found"), qPrintable(errorOf(*done).detail));
    account->disconnectFromServer();
}

QTEST_GUILESS_MAIN(tst_Gateway)
#include "tst_gateway.moc"
